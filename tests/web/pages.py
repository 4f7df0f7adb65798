"""Reading the screens' HTML in tests: a table's rows, by the table's id."""

from html.parser import HTMLParser


class _TableRows(HTMLParser):
    def __init__(self, table_id):
        super().__init__()
        self.table_id, self.inside, self.rows, self.cell = table_id, False, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append((attrs, []))
        elif self.inside and tag == "td":
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif tag == "td" and self.cell is not None:
            self.rows[-1][1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html: str, table_id: str) -> list[tuple[dict, list[str]]]:
    """(the row's attributes, its cells' text) for each body row of the table."""
    parser = _TableRows(table_id)
    parser.feed(html)
    return [(attrs, cells) for attrs, cells in parser.rows if cells]


class _VisibleText(HTMLParser):
    HIDDEN = {"script", "style", "head", "template"}

    def __init__(self):
        super().__init__()
        self.hidden, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in self.HIDDEN

    def handle_endtag(self, tag):
        self.hidden -= tag in self.HIDDEN

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(html: str) -> str:
    """What a reader sees of a page: its text without scripts, styles and tags, one line per text node."""
    parser = _VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)
