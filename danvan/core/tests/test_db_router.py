"""Dashboards and exports read from the replica when there is one; writes never do."""

from danvan.core.db_router import ReplicaRouter, reading_from_replica
from danvan.petitions.models import Petition


def test_reads_go_to_the_replica_only_inside_the_block_and_only_if_configured(settings):
    router = ReplicaRouter()
    settings.DATABASES = {**settings.DATABASES, "replica": dict(settings.DATABASES["default"])}
    assert router.db_for_read(Petition) == "default"
    with reading_from_replica():
        assert router.db_for_read(Petition) == "replica"
        assert router.db_for_write(Petition) == "default"
    assert router.db_for_read(Petition) == "default"
    assert router.allow_migrate("replica", "petitions") is False
    settings.DATABASES = {"default": settings.DATABASES["default"]}
    with reading_from_replica():
        assert router.db_for_read(Petition) == "default"  # no replica: the primary
