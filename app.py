"""Run SIGAP: `python app.py` prepares the database and serves it with everything it needs.

(The `app/` package shadows this file for imports; servers use the factory: `gunicorn "app:create_app()"`.)
"""

from app import create_app
from app.cli import initialise, serve

if __name__ == "__main__":
    flask_app = create_app()
    with flask_app.app_context():
        initialise()
    serve(flask_app)
