"""The Dask executor: a LocalCluster on loopback gives the same store as the local executor,
and records raising, hanging and dying trials as failed."""

import json

import pytest

pytest.importorskip("distributed")

from faulty import Faulty, sweep_with  # noqa: E402

from mummybench.cli import main  # noqa: E402
from mummybench.cluster import DaskExecutor  # noqa: E402


def _metrics(path):
    return {r["key"]: r["metrics"] for r in map(json.loads, path.read_text().splitlines())}


def test_local_cluster_matches_local_executor(tmp_path):
    """Every trial key and every stored metric are identical; so are the summaries' findings."""
    assert main(["run", "synthetic", "--plan", "quick", "--jobs", "0", "--results", str(tmp_path / "local"), "--quiet"]) == 0
    assert main(["run", "synthetic", "--plan", "quick", "--executor", "dask", "--jobs", "2",
                 "--results", str(tmp_path / "dask"), "--quiet"]) == 0
    local, dask = (_metrics(tmp_path / d / "synthetic" / "trials.jsonl") for d in ("local", "dask"))
    assert local and local == dask
    a, b = (json.loads((tmp_path / d / "synthetic" / "summary.json").read_text()) for d in ("local", "dask"))
    for key in ("reproduction", "axes", "map", "robust_share", "failed"):
        assert a[key] == b[key]


def test_dask_records_failures_and_goes_on(tmp_path):
    """A raise, a hang past the timeout and a dying worker are failed trials; the rest of the sweep completes."""
    # 8 s, not the plan's 2: a Dask trial's clock starts at submission, before a fresh worker has imported
    # anything, and a loaded CI machine must not turn the first healthy trials into timeouts
    sweep_with(DaskExecutor(Faulty(), jobs=2, timeout_s=8), tmp_path)


def test_bad_address_is_one_line_exit_2(tmp_path, capsys):
    assert main(["run", "synthetic", "--executor", "dask", "--address", "tcp://127.0.0.1:9",
                 "--results", str(tmp_path)]) == 2
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err
    assert not (tmp_path / "synthetic").exists()


def _self_signed(folder):
    import shutil
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed: cannot make a self-signed certificate")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=localhost"], check=True, capture_output=True)
    return cert, key


def test_tls_end_to_end_on_loopback(tmp_path):
    """With a self-signed certificate the whole sweep runs over tls:// (client, scheduler, workers), and gives
    the same store as the local executor."""
    cert, key = _self_signed(tmp_path)
    tls = ["--tls-ca-file", str(cert), "--tls-cert", str(cert), "--tls-key", str(key)]
    assert main(["run", "synthetic", "--plan", "quick", "--jobs", "0", "--results", str(tmp_path / "local"), "--quiet"]) == 0
    assert main(["run", "synthetic", "--plan", "quick", "--executor", "dask", "--jobs", "2", *tls,
                 "--results", str(tmp_path / "tls"), "--quiet"]) == 0
    local, secure = (_metrics(tmp_path / d / "synthetic" / "trials.jsonl") for d in ("local", "tls"))
    assert local and local == secure
    from cases.synthetic.case import Synthetic

    executor = DaskExecutor(Synthetic(), jobs=1, tls={"ca_file": str(cert), "cert": str(cert), "key": str(key)})
    try:
        assert executor.client.scheduler.address.startswith("tls://")
        assert all(w.startswith("tls://") for w in executor.client.nthreads())
    finally:
        executor.close()


def test_tls_address_without_certificates_is_exit_2(tmp_path, capsys):
    assert main(["run", "synthetic", "--executor", "dask", "--address", "tls://127.0.0.1:9", "--results", str(tmp_path)]) == 2
    assert "--tls-ca-file" in capsys.readouterr().err
