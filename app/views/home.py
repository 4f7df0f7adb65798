"""The landing page."""

from flask_appbuilder import IndexView


class SigapIndexView(IndexView):
    index_template = "sigap/index.html"
