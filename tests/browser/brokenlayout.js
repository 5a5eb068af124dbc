// What a reader would see as broken in a laid-out page, as a list of problems (empty: none).
// Used by tests/browser/test_text_spacing.py after a reader's style sheet is applied.
() => {
  const problems = [];
  const REPLACED = ['INPUT', 'TEXTAREA', 'SELECT', 'IMG', 'PICTURE', 'VIDEO', 'AUDIO', 'IFRAME', 'BR', 'OPTION'];
  const hidden = el => {
    const s = getComputedStyle(el);
    return s.display === 'none' || s.visibility === 'hidden'
      || el.closest('.visually-hidden, .skip, [hidden]');
  };
  const scrolls = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const name = el => {
    const kind = typeof el.className === 'string' && el.className ? '.' + el.className.split(' ')[0] : '';
    const what = el.id ? '#' + el.id : el.tagName.toLowerCase() + kind;
    return what + ' "' + (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40) + '"';
  };
  const inScroller = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (scrolls(p)) return true;
    }
    return false;
  };
  const hasText = el => [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  for (const el of document.body.querySelectorAll('*')) {
    if (!(el instanceof HTMLElement) || hidden(el) || el.closest('svg')) continue;
    if (REPLACED.includes(el.tagName)) continue;
    if (!el.clientWidth || !el.clientHeight || scrolls(el) || inScroller(el)) continue;
    const s = getComputedStyle(el);
    const clips = ['hidden', 'clip'].some(v => s.overflowX === v || s.overflowY === v);
    const wide = el.scrollWidth > el.clientWidth + 1, tall = el.scrollHeight > el.clientHeight + 1;
    if (clips && (wide || tall)) problems.push('cut: ' + name(el));
    else if (hasText(el) && (wide || tall)) problems.push('spills out: ' + name(el));
  }
  for (const parent of document.body.querySelectorAll('*')) {
    if (hidden(parent) || parent.closest('svg')) continue;
    // blocks only: an inline run that wraps has a box as wide as its lines, over its neighbours
    const kids = [...parent.children].filter(el => !hidden(el)
      && !['absolute', 'fixed'].includes(getComputedStyle(el).position)
      && getComputedStyle(el).display !== 'inline')
      .map(el => [el, el.getBoundingClientRect()]).filter(([, r]) => r.width > 0 && r.height > 0);
    for (let i = 0; i < kids.length; i++) for (let j = i + 1; j < kids.length; j++) {
      const [a, ra] = kids[i], [b, rb] = kids[j];
      const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (w > 1 && h > 1) problems.push('overlap: ' + name(a) + ' / ' + name(b));
    }
  }
  return problems;
}
