import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from danvan.petitions import sealing
from danvan.petitions.tests.conftest import SECRET_NAME

pytestmark = pytest.mark.django_db


def test_keys_rotate_and_old_keys_can_then_be_dropped(desk, settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.DANVAN_SEAL_KEYS = [old]
    p = desk.denunciation()
    settings.DANVAN_SEAL_KEYS = [new, old]
    call_command("rotate_seal_keys", verbosity=0)
    settings.DANVAN_SEAL_KEYS = [new]
    p.sealed_identity.refresh_from_db()
    assert sealing.unseal(p.sealed_identity.ciphertext)[0]["full_name"] == SECRET_NAME
    settings.DANVAN_SEAL_KEYS = [old]
    with pytest.raises(ImproperlyConfigured):
        sealing.unseal(p.sealed_identity.ciphertext)


def test_production_refuses_to_run_without_seal_keys(settings):
    settings.DANVAN_SEAL_KEYS = []
    settings.DANVAN_REQUIRE_SEAL_KEYS = True
    with pytest.raises(ImproperlyConfigured):
        sealing.seal([{"full_name": "x"}])


def test_match_keys_are_stable_and_normalise_phone_forms():
    assert sealing.match_key("phone", "+84 912 345 678") == sealing.match_key("phone", "0912345678")
    assert sealing.match_key("id", "079123456789") != sealing.match_key("phone", "079123456789")
    assert sealing.match_key("phone", "123") is None
