"""Classroom sessions: a trainer hosts one scenario, trainees join from a browser or the window.

- `store`: the sessions, participants and standing choices (SQLite, WAL; an
  acknowledgement is sent only after the commit);
- `session`: `ClassSession`, the authoritative playthroughs and the rules of
  the API (seq, hold, undo), independent of HTTP;
- `app`: the FastAPI application (the JSON API of DESIGN.md and the browser pages);
- `pages`: the server-rendered HTML pages, from `game.presentation`'s values;
- `report`: a session's report from the store (HTML, CSV, the summary).
"""
