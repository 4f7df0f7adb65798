import pytest
from app.models import Application
from tests.records.helpers import wire

@pytest.fixture
def applicant_id(create_applicant):
    return create_applicant().get_json()["id"]

def test_probe(login, applicant_id, service_id):
    client = login("fo")
    page = client.get("/applications/add").get_data(as_text=True)
    open("/tmp/addform.html","w").write(page)
    r = client.post("/applications/add", data={"applicant": applicant_id, "service": service_id, "risk_level": wire(Application.__table__.c.risk_level)})
    open("/tmp/addpost.html","w").write(r.get_data(as_text=True))
