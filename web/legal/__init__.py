"""The pages the law requires of a public body's site: legal notice, privacy, accessibility."""
