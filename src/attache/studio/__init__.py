"""Label Studio: a local server, project set-up, idempotent push, snapshot pull."""
