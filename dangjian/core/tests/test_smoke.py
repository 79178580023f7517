from dangjian.core.testing.personas import Personas


def test_personas_log_in_and_see_their_members(personas: Personas, client_for) -> None:
    response = client_for("officer_b1").get("/members/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "张三" in body and "王五" not in body
