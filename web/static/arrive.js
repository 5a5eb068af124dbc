// "Je suis arrivé·e": asks the phone's position once, puts it in the form, sends the form.
// Without this script (or without geolocation) the form is sent as it is, and the server says
// kindly that no position came. Nothing is kept here: the position goes out with the form.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-arrive")) return;
  if (form.dataset.sending || !navigator.geolocation) return;
  event.preventDefault();
  form.dataset.sending = "1";
  var status = form.querySelector("[data-arrive-status]");
  if (status) status.textContent = form.dataset.asking || "";
  var send = function () { form.submit(); };
  navigator.geolocation.getCurrentPosition(
    function (found) {
      form.elements.namedItem("lat").value = String(found.coords.latitude);
      form.elements.namedItem("lon").value = String(found.coords.longitude);
      form.elements.namedItem("accuracy").value = String(Math.round(found.coords.accuracy));
      send();
    },
    send,
    { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 }
  );
});
