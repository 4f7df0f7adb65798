"""The interface speaks Bahasa Indonesia by default, English on request."""


def test_login_page_is_in_indonesian_by_default(client):
    page = client.get("/login/").get_data(as_text=True)
    assert "Masuk" in page
    assert "Nama Pengguna" in page or "Nama pengguna" in page


def test_english_can_be_selected(client):
    client.get("/lang/en")
    page = client.get("/login/").get_data(as_text=True)
    assert "Login" in page and "Masuk" not in page


def test_screen_titles_are_translated(client):
    client.post("/login/", data={"username": "fo", "password": "Rahasia-123"})
    assert "Tambah Pemohon" in client.get("/applicants/add").get_data(as_text=True)
    assert "Daftar Permohonan" in client.get("/applications/list/").get_data(as_text=True)
