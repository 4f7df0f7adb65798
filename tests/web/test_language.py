"""The interface speaks Bahasa Indonesia by default, English on request."""


def test_login_page_is_in_indonesian_by_default(client):
    page = client.get("/login/").get_data(as_text=True)
    assert "Masuk" in page
    assert "Nama Pengguna" in page or "Nama pengguna" in page


def test_english_can_be_selected(client):
    client.get("/lang/en")
    page = client.get("/login/").get_data(as_text=True)
    assert "Login" in page and "Masuk" not in page
