"""The review web app (FastAPI + Jinja2): reviewers accept, correct, reject and add targets."""
