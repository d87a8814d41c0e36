"""`cbr-tui resource`, `server`, `disk`, `sfs-turbo`, `desktop`, `agent`: the simulated cloud to protect."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from cbr_tui.cli import params
from cbr_tui.cli.app import json_command
from cbr_tui.domain.consistency import LATEST_AGENT_VERSION
from cbr_tui.domain.enums import ResourceKind

if TYPE_CHECKING:
    from cbr_tui.services.console import Console

KIND_CHOICE = click.Choice([k.value for k in ResourceKind])


@click.group()
def resource() -> None:
    """Any simulated resource: list, inspect, tag, write data into it, damage it, delete it."""


@resource.command("list")
@click.option("--kind", type=KIND_CHOICE, help="Only servers, disks, turbo file systems, desktops or agents.")
@click.option("--status", help="Only resources in this status (API word, e.g. ACTIVE, available).")
@click.option("--name", help="Only names containing this text.")
@json_command
def resource_list(console: Console, kind: str | None, status: str | None, name: str | None) -> object:
    return console.resources.list(kind, status=status, name=name)


@resource.command("show")
@click.argument("resource_ref")
@json_command
def resource_show(console: Console, resource_ref: str) -> object:
    return {"resource": console.resources.show(resource_ref)}


@resource.command("tag")
@click.argument("resource_ref")
@click.argument("tags", nargs=-1, required=True)
@json_command
def resource_tag(console: Console, resource_ref: str, tags: tuple[str, ...]) -> object:
    """Add or change tags (key=value) on a resource; automatic association can filter by them."""
    return console.resources.tag(resource_ref, params.tags(tags))


@resource.command("untag")
@click.argument("resource_ref")
@click.argument("keys", nargs=-1, required=True)
@json_command
def resource_untag(console: Console, resource_ref: str, keys: tuple[str, ...]) -> object:
    return console.resources.untag(resource_ref, keys)


@resource.command("write")
@click.argument("resource_ref")
@click.option("--mb", type=params.NUMBER, default=16, show_default=True, help="How much data to write.")
@click.option("--pattern", type=click.Choice(["mixed", "text", "random", "zeros"]), default="mixed",
              show_default=True)
@click.option("--scattered", is_flag=True, help="Many small 4 KiB writes instead of filesystem-like extents.")
@click.option("--seed", help="Make the written bytes reproducible.")
@json_command
def resource_write(console: Console, resource_ref: str, mb: float, pattern: str, scattered: bool,
                   seed: str | None) -> object:
    """Write data into a disk, a server's disks, a file system or a backup client's path."""
    return console.resources.write_data(resource_ref, mb, pattern=pattern, scattered=scattered, seed=seed)


@resource.command("damage")
@click.argument("resource_ref")
@click.option("--seed", help="Make the damage reproducible.")
@json_command
def resource_damage(console: Console, resource_ref: str, seed: str | None) -> object:
    """Overwrite blocks of disks or delete and garble files, to have something to restore."""
    return console.resources.damage_data(resource_ref, seed=seed)


@resource.command("set-status")
@click.argument("resource_ref")
@click.argument("status")
@json_command
def resource_set_status(console: Console, resource_ref: str, status: str) -> object:
    """Force a status (e.g. ERROR, offline) to rehearse what CBR does with a faulty resource."""
    return console.resources.set_status(resource_ref, status)


@resource.command("delete")
@click.argument("resource_ref")
@json_command
def resource_delete(console: Console, resource_ref: str) -> object:
    """Delete a resource; its backups stay in the vault."""
    return console.resources.delete(resource_ref)


@click.group()
def server() -> None:
    """Elastic Cloud Servers with their system and data disks."""


@server.command("create")
@click.argument("name")
@click.option("--system-disk", type=params.WHOLE, default=40, show_default=True, help="System disk size in GB.")
@click.option("--data-disk", type=params.WHOLE, multiple=True, help="A data disk size in GB (repeatable).")
@click.option("--encrypted", is_flag=True, help="Encrypt the data disks.")
@click.option("--az", help="Availability zone (ID or AZ1, AZ2...).")
@click.option("--tag", "tags", multiple=True, help="key=value (repeatable).")
@json_command
def server_create(console: Console, name: str, system_disk: int, data_disk: tuple[int, ...], encrypted: bool,
                  az: str | None, tags: tuple[str, ...]) -> object:
    return console.resources.create_server(name, system_disk_gb=system_disk, data_disks_gb=data_disk,
                                           encrypted_data=encrypted, availability_zone=az, tags=params.tags(tags))


@server.command("start")
@click.argument("server_ref")
@json_command
def server_start(console: Console, server_ref: str) -> object:
    return console.resources.start_server(server_ref)


@server.command("stop")
@click.argument("server_ref")
@json_command
def server_stop(console: Console, server_ref: str) -> object:
    return console.resources.stop_server(server_ref)


@server.command("install-agent")
@click.argument("server_ref")
@click.option("--version", default=LATEST_AGENT_VERSION, show_default=True, help="The agent's version (x.y.z).")
@json_command
def server_install_agent(console: Console, server_ref: str, version: str) -> object:
    """Install the CBR Agent, which makes backups in a database server vault application-consistent."""
    return console.resources.install_agent(server_ref, version)


@server.command("uninstall-agent")
@click.argument("server_ref")
@json_command
def server_uninstall_agent(console: Console, server_ref: str) -> object:
    return console.resources.uninstall_agent(server_ref)


@server.command("check-agent")
@click.argument("server_refs", nargs=-1, required=True)
@json_command
def server_check_agent(console: Console, server_refs: tuple[str, ...]) -> object:
    """Whether each server has the CBR Agent (CheckAgent)."""
    return console.protectables.check_agents(server_refs)


@server.command("attach-disk")
@click.argument("server_ref")
@click.option("--size", type=params.WHOLE, help="Create a new data disk of this many GB and attach it.")
@click.option("--disk", "disk_ref", help="Attach this existing Available disk instead.")
@click.option("--encrypted", is_flag=True)
@json_command
def server_attach_disk(console: Console, server_ref: str, size: int | None, disk_ref: str | None,
                       encrypted: bool) -> object:
    """Attach a disk; a server already in a vault has it backed up from its next backup on."""
    if (size is None) == (disk_ref is None):
        raise click.UsageError("Give either --size (a new disk) or --disk (an existing one).")
    if disk_ref:
        return console.resources.attach_disk(server_ref, disk_ref)
    return console.resources.attach_new_disk(server_ref, size or 0, encrypted=encrypted)


@click.group()
def disk() -> None:
    """Elastic Volume Service disks."""


@disk.command("create")
@click.argument("name")
@click.option("--size", type=params.WHOLE, required=True, help="Size in GB.")
@click.option("--encrypted", is_flag=True)
@click.option("--az")
@click.option("--tag", "tags", multiple=True)
@json_command
def disk_create(console: Console, name: str, size: int, encrypted: bool, az: str | None,
                tags: tuple[str, ...]) -> object:
    return console.resources.create_disk(name, size, encrypted=encrypted, availability_zone=az,
                                         tags=params.tags(tags))


@disk.command("detach")
@click.argument("disk_ref")
@json_command
def disk_detach(console: Console, disk_ref: str) -> object:
    return console.resources.detach_disk(disk_ref)


@click.group("sfs-turbo")
def sfs_turbo() -> None:
    """SFS Turbo file systems (directory trees)."""


@sfs_turbo.command("create")
@click.argument("name")
@click.option("--size", type=params.WHOLE, default=500, show_default=True, help="Capacity in GB.")
@click.option("--az")
@json_command
def turbo_create(console: Console, name: str, size: int, az: str | None) -> object:
    return console.resources.create_turbo(name, size, availability_zone=az)


@click.group()
def desktop() -> None:
    """Workspace desktops."""


@desktop.command("create")
@click.argument("name")
@click.option("--system-disk", type=params.WHOLE, default=80, show_default=True)
@click.option("--data-disk", type=params.WHOLE, multiple=True)
@click.option("--az")
@json_command
def desktop_create(console: Console, name: str, system_disk: int, data_disk: tuple[int, ...],
                   az: str | None) -> object:
    return console.resources.create_desktop(name, system_disk_gb=system_disk, data_disks_gb=data_disk or (100,),
                                            availability_zone=az)


@click.group()
def agent() -> None:
    """File-backup clients: hosts whose local directories are backed up to a file backup vault."""


@agent.command("register")
@click.argument("host_name")
@click.option("--path", "paths", multiple=True, help="A local directory to back up (repeatable).")
@click.option("--os", "host_os", default="CentOS 7.9 64bit", show_default=True)
@click.option("--ip", "host_ip", default="192.168.0.10", show_default=True)
@json_command
def agent_register(console: Console, host_name: str, paths: tuple[str, ...], host_os: str, host_ip: str) -> object:
    return console.resources.register_agent(host_name, paths, host_os=host_os, host_ip=host_ip)


@agent.command("add-path")
@click.argument("agent_ref")
@click.argument("path")
@json_command
def agent_add_path(console: Console, agent_ref: str, path: str) -> object:
    return console.resources.add_agent_path(agent_ref, path)


@agent.command("remove-path")
@click.argument("agent_ref")
@click.argument("path")
@json_command
def agent_remove_path(console: Console, agent_ref: str, path: str) -> object:
    return console.resources.remove_agent_path(agent_ref, path)


@agent.command("configure-vault")
@click.argument("agent_ref")
@click.argument("vault_ref")
@json_command
def agent_configure_vault(console: Console, agent_ref: str, vault_ref: str) -> object:
    """Store this client's file backups in a file backup vault."""
    return console.associations.configure_client(agent_ref, vault_ref)


@agent.command("unregister")
@click.argument("agent_ref")
@json_command
def agent_unregister(console: Console, agent_ref: str) -> object:
    """Remove a backup client and every backup it made (its host's files stay)."""
    return console.associations.unregister_client(agent_ref)
