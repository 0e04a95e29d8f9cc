"""The load run is bounded and local: it refuses other hosts and unbounded runs."""

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.parametrize("host", ["example.org", "10.0.0.5", "192.168.1.1"])
def test_loadtest_only_targets_this_machine(host):
    with pytest.raises(CommandError, match="only targets this machine"):
        call_command("loadtest", host=host, seconds=1, clients=1)


@pytest.mark.parametrize("clients, seconds", [(0, 5), (500, 5), (5, 0), (5, 3600)])
def test_loadtest_refuses_unbounded_runs(clients, seconds):
    with pytest.raises(CommandError, match="at most 300 seconds"):
        call_command("loadtest", clients=clients, seconds=seconds)


def test_loadtest_says_when_no_server_is_running():
    with pytest.raises(CommandError, match="No server"):
        call_command("loadtest", port=1, seconds=1, clients=1)
