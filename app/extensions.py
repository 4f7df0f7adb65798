"""Extension objects, created once and bound to each app in create_app()."""

from flask_appbuilder.utils.legacy import get_sqla_class
from flask_migrate import Migrate

db = get_sqla_class()()
migrate = Migrate()
