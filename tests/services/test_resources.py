"""The simulated cloud: servers, disks, file systems, desktops and clients with real bytes."""

from pathlib import Path

import pytest

from cbr_tui.cloud.disk_image import DiskImage, chunk_indexes
from cbr_tui.cloud.workload import iter_tree_files
from cbr_tui.domain.errors import Codes
from cbr_tui.services.console import Console
from cbr_tui.services.views import TagView
from tests.services.helpers import buy, finish_backups, refused

GiB = 1 << 30


def image_of(console: Console, disk_ref: str) -> DiskImage:
    disk = console.resources.show(disk_ref)
    return DiskImage(console.ctx.layout.home / "cloud" / console.region_id / "disks" / f"{disk.id}.img")


def test_a_new_server_has_sparse_disks_of_their_nominal_size(sqlite_console: Console) -> None:
    console = sqlite_console
    server = console.resources.create_server("ecs-new", system_disk_gb=40, data_disks_gb=(500,), encrypted_data=True,
                                             availability_zone="AZ2", tags=[("env", "qa")]).resource
    assert server.status == "ACTIVE" and server.size == 540 and server.availability_zone == "cn-north-4b"
    assert [(v.device, v.bootable, v.encrypted) for v in server.volumes] == [
        ("/dev/vda", True, False), ("/dev/vdb", False, True)]
    data = image_of(console, server.volumes[1].id)
    assert data.size == 500 * GiB and data.allocated_bytes == 0


def test_start_and_stop_follow_the_server_state(console: Console) -> None:
    assert console.resources.stop_server("ecs-web-01").resource.status == "SHUTOFF"
    refused(Codes.INVALID_PARAMETER, lambda: console.resources.stop_server("ecs-web-01"), "only a Running")
    assert console.resources.start_server("ecs-web-01").resource.status == "ACTIVE"
    refused(Codes.INVALID_PARAMETER, lambda: console.resources.start_server("ecs-test-01"), "Error")
    refused(Codes.SERVER_NOT_FOUND, lambda: console.resources.start_server("evs-data-01"))


def test_attach_and_detach_disks(console: Console) -> None:
    server = console.resources.attach_new_disk("ecs-web-01", 20).resource
    assert [v.device for v in server.volumes] == ["/dev/vda", "/dev/vdb", "/dev/vdc"]
    refused(Codes.INVALID_PARAMETER, lambda: console.resources.detach_disk("ecs-web-01-volume-0000"), "Stopped")
    assert console.resources.detach_disk("ecs-web-01-volume-0001").resource.status == "available"
    assert console.resources.attach_disk("ecs-web-01", "ecs-web-01-volume-0001").resource.size == 160
    refused(Codes.INVALID_PARAMETER, lambda: console.resources.attach_disk("ecs-web-02", "evs-data-01"), "AZ")
    refused(Codes.DISK_NOT_ATTACHED, lambda: console.resources.detach_disk("evs-data-01"))
    refused(Codes.INVALID_PARAMETER, lambda: console.resources.attach_new_disk("ecs-web-01", 5))


def test_a_new_disk_never_takes_the_name_of_a_detached_one(console: Console) -> None:
    """ecs-spare-01's system disk was detached and kept its name; the next disk is numbered past it."""
    server = console.resources.attach_new_disk("ecs-spare-01", 20).resource
    assert [v.name for v in server.volumes] == ["ecs-spare-01-volume-0001"]
    names = [d.name for d in console.resources.list("disk").resources]
    assert len(names) == len(set(names))


def test_written_data_lands_in_the_image_and_its_change_bitmap(sqlite_console: Console) -> None:
    console = sqlite_console
    result = console.resources.write_data("evs-data-01", 6, pattern="text", seed="s")
    assert result.written_bytes == 6 << 20
    image = image_of(console, "evs-data-01")
    assert image.allocated_bytes >= 6 << 20
    assert len(list(chunk_indexes(image.bitmap().active))) >= 6
    console.resources.write_data("ecs-web-01", 4)
    web_disks = console.resources.show("ecs-web-01").volumes
    assert all(image_of(console, d.id).allocated_bytes > 0 for d in web_disks or ())


def test_damage_changes_the_bytes(sqlite_console: Console) -> None:
    console = sqlite_console
    console.resources.write_data("evs-data-01", 4, seed="s")
    image = image_of(console, "evs-data-01")
    before = [image.read(s, e - s) for s, e in image.data_extents()]
    assert console.resources.damage_data("evs-data-01", seed="d").damaged
    assert [image.read(s, e - s) for s, e in image.data_extents()] != before


def test_file_systems_and_clients_hold_files(sqlite_console: Console, tmp_path: Path) -> None:
    console = sqlite_console
    turbo = console.resources.create_turbo("sfs-new", 600).resource
    console.resources.write_data("sfs-new", 1)
    root = console.ctx.layout.resolve(turbo.path)
    assert sum(f.stat().st_size for f in iter_tree_files(root)) == 1 << 20
    assert console.resources.damage_data("sfs-new").damaged
    (tmp_path / "docs").mkdir()
    agent = console.resources.register_agent("laptop-01", [str(tmp_path / "docs")]).resource
    assert agent.status == "normal" and agent.paths[0].dir_path == str(tmp_path / "docs")
    console.resources.write_data("laptop-01", 1)
    assert any((tmp_path / "docs").rglob("*"))
    refused(Codes.INVALID_PARAMETER, lambda: console.resources.add_agent_path("laptop-01", "/nonexistent/dir"))
    refused(Codes.INVALID_PARAMETER, lambda: console.resources.add_agent_path("laptop-01", "relative/dir"))
    assert console.resources.remove_agent_path("laptop-01", str(tmp_path / "docs")).resource.paths == []


def test_deleting_a_server_keeps_its_backups_and_frees_its_files(sqlite_console: Console) -> None:
    console = sqlite_console
    vault = buy(console, resources=("ecs-web-01",))
    console.backups.perform(vault.id)
    refused(Codes.BACKUP_IN_PROGRESS, lambda: console.resources.delete("ecs-web-01"), "being backed up")
    finish_backups(console)
    images = [image_of(console, v.id).path for v in console.resources.show("ecs-web-01").volumes]
    console.resources.delete("ecs-web-01")
    assert not any(p.exists() for p in images)
    refused(Codes.RESOURCE_NOT_FOUND, lambda: console.resources.show("ecs-web-01"))
    assert console.vaults.show(vault.id).resources == []
    assert console.backups.list().backups[0].resource_name == "ecs-web-01"
    refused(Codes.INVALID_PARAMETER, lambda: console.resources.delete("ecs-web-02-volume-0001"), "detach")


def test_tags_and_statuses(console: Console) -> None:
    tagged = console.resources.tag("evs-data-01", [("env", "qa"), ("owner", "me")]).resource
    assert tagged.tags == [TagView(key="env", value="qa"), TagView(key="owner", value="me")]
    assert console.resources.untag("evs-data-01", ["owner"]).resource.tags == [TagView(key="env", value="qa")]
    refused(Codes.TAG_QUOTA, lambda: console.resources.tag("evs-data-01", [(f"k{i}", "") for i in range(10)]))
    assert console.resources.set_status("host-files-02", "normal").resource.status == "normal"
    refused(Codes.INVALID_PARAMETER, lambda: console.resources.set_status("host-files-02", "melted"))


@pytest.mark.parametrize("kind", ["server", "disk", "turbo", "desktop", "agent"])
def test_lists_by_kind(console: Console, kind: str) -> None:
    listed = console.resources.list(kind)
    assert listed.count >= 2 and {r.kind for r in listed.resources} == {kind}


def test_deleting_a_backup_client_never_touches_the_hosts_own_directories(sqlite_console: Console,
                                                                          tmp_path: Path) -> None:
    console = sqlite_console
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "thesis.txt").write_text("years of work")
    console.resources.register_agent("laptop-02", [str(documents)])
    console.resources.delete("laptop-02")
    assert (documents / "thesis.txt").read_text() == "years of work"
