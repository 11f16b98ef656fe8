"""Batch outputs checked against every input before any work (issue 13, item 12), the report
written atomically, an absurd --jobs (item 7), symbolic links and FIFOs in a source folder
(item 11, and never opening anything but regular files)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cdktf_fix.engine.options import Options
from cdktf_fix.io import batch as batch_module
from cdktf_fix.io.batch import BatchError, BatchReport, SampleReport, batch_folder, check_outputs, write_report
from cdktf_fix.datasets.jsonl_batch import batch_jsonl

BAD = "from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioning\nS3BucketVersioning(None, 'v', bucket='b', versioning_configuration=c)\n"
GOOD = BAD.replace("S3BucketVersioning", "S3BucketVersioningA")


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    path = tmp_path / "data.jsonl"
    path.write_text(json.dumps({"r": BAD}) + "\n")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    (src / "one").mkdir(parents=True)
    (src / "one" / "main.py").write_text(BAD)
    return src


def _refused(source: Path, out: Path, report: Path | None, words: str) -> None:
    with pytest.raises(BatchError, match=words) as caught:
        check_outputs(source, out, report)
    assert "\n" not in str(caught.value)


def test_a_report_over_the_source_dataset_is_refused(dataset: Path, tmp_path: Path):
    before = dataset.read_bytes()
    _refused(dataset, tmp_path / "o.jsonl", dataset, "--report must differ from the source")
    os.symlink(dataset, tmp_path / "link.json")
    _refused(dataset, tmp_path / "o.jsonl", tmp_path / "link.json", "--report must differ from the source")
    os.link(dataset, tmp_path / "hard.json")
    _refused(dataset, tmp_path / "o.jsonl", tmp_path / "hard.json", "--report must differ from the source")
    _refused(dataset, tmp_path / "o.jsonl", tmp_path / "." / "data.jsonl", "--report must differ from the source")
    assert dataset.read_bytes() == before


def test_out_over_the_source_through_links_is_refused(dataset: Path, tmp_path: Path):
    os.link(dataset, tmp_path / "hard.jsonl")
    _refused(dataset, tmp_path / "hard.jsonl", None, "--out must differ from the source")
    os.symlink(dataset, tmp_path / "soft.jsonl")
    _refused(dataset, tmp_path / "soft.jsonl", None, "--out must differ from the source")
    with pytest.raises(BatchError, match="must differ"):
        batch_jsonl(dataset, tmp_path / "hard.jsonl", "r", Options())
    assert json.loads(dataset.read_text()) == {"r": BAD}


def test_a_report_inside_the_source_folder_or_the_output_is_refused(folder: Path, tmp_path: Path):
    _refused(folder, tmp_path / "out", folder / "report.json", "--report .* is inside the source folder")
    _refused(folder, tmp_path / "out", folder / "one" / "report.json", "inside the source folder")
    os.symlink(folder, tmp_path / "alias")  # the same folder under another name
    _refused(folder, tmp_path / "out", tmp_path / "alias" / "report.json", "inside the source folder")
    _refused(folder, tmp_path / "out", tmp_path / "out" / "report.json", "--report .* is inside --out")
    _refused(folder, tmp_path / "out", tmp_path / "out", "--report must differ from --out")
    _refused(folder, folder / "one" / "deeper", None, "--out .* is inside the source folder")
    _refused(folder / "one", folder, None, "the source .* is inside --out")


def test_an_output_inside_the_source_through_a_bind_mount_is_refused(folder: Path, tmp_path: Path):
    """The resolved paths differ; the inodes of the folders above the output do not."""
    mount = tmp_path / "mount"
    mount.mkdir()
    if os.system(f"mount --bind {folder} {mount} 2>/dev/null") != 0:
        pytest.skip("cannot bind-mount here")
    try:
        _refused(folder, mount / "out", None, "inside the source folder")
        _refused(folder, tmp_path / "out", mount / "one" / "report.json", "inside the source folder")
    finally:
        os.system(f"umount {mount}")


def test_a_report_whose_folder_is_missing_or_not_writable_is_refused_before_the_run(dataset: Path, tmp_path: Path):
    _refused(dataset, tmp_path / "o.jsonl", tmp_path / "missing" / "report.json", "the folder .*missing does not exist")
    _refused(dataset, tmp_path / "o.jsonl", dataset / "report.json", "is not a folder")
    (tmp_path / "folder.json").mkdir()
    _refused(dataset, tmp_path / "o.jsonl", tmp_path / "folder.json", "--report .* is a folder")
    os.mkfifo(tmp_path / "fifo.json")
    _refused(dataset, tmp_path / "o.jsonl", tmp_path / "fifo.json", "not a regular file")
    check_outputs(dataset, tmp_path / "new" / "o.jsonl", tmp_path / "report.json")  # --out's folder is created


def test_a_report_in_a_read_only_folder_is_refused_before_the_run(dataset: Path, tmp_path: Path):
    """Root writes anywhere but on a read-only file system: mount one."""
    frozen = tmp_path / "frozen"
    frozen.mkdir()
    if os.system(f"mount -t tmpfs -o ro,size=64k tmpfs {frozen} 2>/dev/null") != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        _refused(dataset, tmp_path / "o.jsonl", frozen / "report.json", "the folder .*frozen is not writable")
        _refused(dataset, frozen / "o.jsonl", None, "the folder .*frozen is not writable")
    finally:
        os.system(f"umount {frozen}")


def test_the_report_is_written_atomically_and_fails_in_one_line(tmp_path: Path):
    result = BatchReport(samples=[SampleReport("s")])
    path = tmp_path / "report.json"
    path.write_text("old\n")
    os.chmod(path, 0o640)
    write_report(path, result)
    assert json.loads(path.read_text())["summary"]["samples"] == 1
    assert oct(path.stat().st_mode & 0o777) == oct(0o640)  # an existing report keeps its mode
    assert sorted(os.listdir(tmp_path)) == ["report.json"]
    target = tmp_path / "real.json"
    target.write_text("x")
    os.symlink(target, tmp_path / "link.json")
    write_report(tmp_path / "link.json", result)  # written through the link
    assert (tmp_path / "link.json").is_symlink() and json.loads(target.read_text())["samples"][0]["name"] == "s"
    with pytest.raises(BatchError, match=r"^--report .*gone.*: not written: no such file or directory$"):
        write_report(tmp_path / "gone" / "report.json", result)


def test_an_absurd_job_count_is_clamped_not_an_overflow(folder: Path, tmp_path: Path):
    report = batch_folder(folder, tmp_path / "out", Options(), jobs=99999999999999999999)
    limit = 4 * (os.cpu_count() or 1)
    assert report.jobs == limit and report.summary()["jobs"] == limit
    assert report.notes == [f"--jobs 99999999999999999999 is more than 4 per core: {limit} workers used ({os.cpu_count()} cores)"]
    assert (tmp_path / "out" / "one" / "main.py").read_text() == GOOD
    with pytest.raises(BatchError, match="--jobs must be a whole number of at least 1"):
        batch_folder(folder, tmp_path / "out2", Options(), jobs=0)


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    """A source folder with every kind of link and a FIFO."""
    src = tmp_path / "src"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text(BAD)
    (src / "sample" / "lib").mkdir(parents=True)
    (src / "sample" / "lib" / "stack.py").write_text(BAD)
    (src / "sample" / "data.txt").write_text("data\n")
    os.symlink("lib/stack.py", src / "sample" / "alias.py")  # a file inside the source: followed
    os.symlink("data.txt", src / "sample" / "data_link.txt")  # a non-source file inside: copied
    os.symlink(outside / "secret.py", src / "sample" / "secret.py")  # outside: not followed
    os.symlink("lib", src / "sample" / "lib_link")  # a folder: not followed
    os.symlink("missing.py", src / "sample" / "broken.py")
    os.symlink("loop.py", src / "sample" / "loop.py")
    os.mkfifo(src / "sample" / "pipe.py")
    os.symlink("sample/lib/stack.py", src / "top.py")  # a top-level link to a file inside: a sample
    os.symlink(outside, src / "outside_folder")  # a top-level link to a folder: a bad entry
    os.mkfifo(src / "fifo.md")  # a top-level FIFO: a bad entry, never opened
    os.symlink(outside, src / ".hidden")  # stands for a hidden folder: skipped as the folder would be
    return src


@pytest.mark.parametrize("jobs", [1, 2])
def test_symbolic_links_are_followed_inside_the_source_and_reported_otherwise(linked: Path, tmp_path: Path, jobs: int):
    out = tmp_path / f"out{jobs}"
    report = batch_folder(linked, out, Options(), jobs=jobs)
    sample = out / "sample"
    assert (sample / "alias.py").read_text() == GOOD and not (sample / "alias.py").is_symlink()
    assert (sample / "lib" / "stack.py").read_text() == GOOD
    assert (sample / "data_link.txt").read_text() == "data\n" and not (sample / "data_link.txt").is_symlink()
    assert (out / "top.py").read_text() == GOOD and not (out / "top.py").is_symlink()
    for name in ("secret.py", "lib_link", "broken.py", "loop.py", "pipe.py"):
        assert not os.path.lexists(sample / name), name
    assert not os.path.lexists(out / "outside_folder") and not os.path.lexists(out / "fifo.md") and not os.path.lexists(out / ".hidden")
    by_name = {s.name: s for s in report.samples}
    assert sorted(by_name) == ["fifo.md", "outside_folder", "sample", "top.py"]
    errors = by_name["sample"].errors
    assert f"sample/secret.py: symbolic link to {tmp_path / 'outside' / 'secret.py'}: not followed (outside the source folder)" in errors
    assert "sample/lib_link: symbolic link to lib: not followed (a folder)" in errors
    assert "sample/broken.py: symbolic link to missing.py: not followed (broken or looping)" in errors
    assert "sample/loop.py: symbolic link to loop.py: not followed (broken or looping)" in errors
    assert "sample/pipe.py: a FIFO: not read" in errors
    assert len(errors) == 5 and by_name["sample"].fixes == {"class-name": 2}
    assert by_name["outside_folder"].errors == [f"symbolic link to {tmp_path / 'outside'}: not followed (a folder)"]
    assert by_name["fifo.md"].errors == ["a FIFO: not read"]
    assert by_name["top.py"].clean_after and by_name["top.py"].fixes == {"class-name": 1}
    assert (tmp_path / "outside" / "secret.py").read_text() == BAD


def test_an_unreadable_sub_folder_is_named_not_dropped(folder: Path, tmp_path: Path, monkeypatch):
    """Root reads a mode-000 folder anyway: the listing error is injected."""
    (folder / "one" / "locked").mkdir()
    (folder / "one" / "locked" / "x.py").write_text(BAD)
    real_scandir = os.scandir

    def scandir(path="."):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(batch_module.os, "scandir", scandir)
    report = batch_folder(folder, tmp_path / "out", Options())
    assert report.samples[0].errors == ["one/locked/: folder cannot be read (permission denied): not copied"]
    assert (tmp_path / "out" / "one" / "main.py").read_text() == GOOD


def test_a_fifo_dataset_is_refused_not_read(tmp_path: Path):
    os.mkfifo(tmp_path / "data.jsonl")
    with pytest.raises(BatchError, match="not a regular file"):
        batch_jsonl(tmp_path / "data.jsonl", tmp_path / "o.jsonl", "r", Options())
