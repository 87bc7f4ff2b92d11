import pytest


@pytest.mark.django_db
def test_it_serves_the_login_page_in_vietnamese(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()
