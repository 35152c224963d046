"""deploy/twohost's layout, checked without building it (no root, no namespaces): what each host
is configured with and what nginx is told. The layout itself is checked by
deploy/check_cross_host.py and deploy/killtest.py (README, "Deploying the two-host layout")."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
TWOHOST = ROOT / "deploy" / "twohost"
# What a process needs whatever it runs: not Urna's configuration.
PROCESS_BASICS = {"PATH", "LANG", "HOME", "DJANGO_SETTINGS_MODULE"}


def twohost(tmp_path: Path, *args: str) -> str:
    env = {"PATH": "/usr/bin:/bin", "TWOHOST_DIR": str(tmp_path)}
    done = subprocess.run(
        [str(TWOHOST), *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def host_env(tmp_path: Path, host: str) -> dict[str, str]:
    lines = twohost(tmp_path, "env", "--host", host).splitlines()
    return dict(line.split("=", 1) for line in lines)


def test_each_host_is_configured_only_through_documented_variables(tmp_path):
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", (ROOT / "README.md").read_text()))

    env = host_env(tmp_path, "a")

    assert set(env) - PROCESS_BASICS - documented == set()
    assert env["DATABASE_URL"] == "postgres://postgres@10.77.0.1:5432/urna_twohost"
    assert env["REDIS_URL"] == "redis://10.77.0.1:6379/5"
    assert env["TRUSTED_PROXY"] == "1"
    assert env["PUBLIC_BASE_URL"] == env["CSRF_TRUSTED_ORIGINS"] == "http://127.0.0.1:8088"


def test_the_hosts_share_the_services_and_keys_but_not_their_metrics(tmp_path):
    """A session or a signed link made on one host is read on the other: one SECRET_KEY, one
    database, one Redis; each host's gunicorn counts its own requests."""
    a, b = host_env(tmp_path, "a"), host_env(tmp_path, "b")

    assert len(a["SECRET_KEY"]) >= 50
    shared = {key for key in a if a[key] == b[key]}
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "URNA_VAR_DIR"} <= shared
    assert a["PROMETHEUS_MULTIPROC_DIR"] != b["PROMETHEUS_MULTIPROC_DIR"]
    assert host_env(tmp_path, "a")["SECRET_KEY"] == a["SECRET_KEY"]  # kept across runs


def test_nginx_sends_a_request_to_the_other_host_when_one_is_down(tmp_path):
    conf = twohost(tmp_path, "nginx-conf")

    upstream = re.search(r"upstream urna_hosts \{(.*?)\}", conf, re.S).group(1)
    servers = re.findall(r"server (\S+) max_fails=1 fail_timeout=\d+s;", upstream)
    assert servers == ["10.77.0.11:8000", "10.77.0.12:8000"]
    assert "proxy_next_upstream error timeout" in conf
    # A POST the dead host received is not sent again: web forms carry no idempotency key.
    assert "non_idempotent" not in conf
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    assert "listen 127.0.0.1:8088;" in conf


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")
def test_nginx_accepts_the_configuration(tmp_path):
    (tmp_path / "logs").mkdir()
    path = tmp_path / "nginx.conf"
    path.write_text(twohost(tmp_path, "nginx-conf"))

    done = subprocess.run(
        ["nginx", "-t", "-q", "-c", str(path), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
    )

    assert "[emerg]" not in done.stderr, done.stderr
