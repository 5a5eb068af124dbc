"""The staff area: archives and photo-library staff and the community manager log in here."""
