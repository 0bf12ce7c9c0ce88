"""What Ansible itself would connect to, host by host: the differential test's oracle.

Usage: python3 ansible_oracle.py INVENTORY PLAYBOOK_DIR SSH_CONFIG

Groups and variables come from `ansible-inventory --list` (run with --playbook-dir, so group_vars/
and host_vars/ beside the workflow count as they do for a playbook there). Each host's connection
variables are templated with Ansible's Templar, handed to Ansible's own ssh connection plugin, which
builds its real ssh command line; `ssh -G` then prints what OpenSSH would use (ssh_config applied).
Prints one JSON object on stdout.
"""
import json
import os
import shlex
import subprocess
import sys

from ansible import constants as C
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext
from ansible.plugins.loader import connection_loader
from ansible.template import Templar


def inventory(path, playbook_dir):
    run = subprocess.run(
        ['ansible-inventory', '-i', path, '--list', '--playbook-dir', playbook_dir],
        capture_output=True, text=True, check=False,
    )
    if run.returncode != 0 or 'Unable to parse' in run.stderr:
        raise SystemExit('ansible-inventory failed: ' + run.stderr)
    return json.loads(run.stdout), run.stderr


def memberships(data):
    """host -> every group it is in, through children, as ansible-inventory --list lays them out."""
    direct = {}
    parents = {}
    for name, group in data.items():
        if name == '_meta':
            continue
        for h in group.get('hosts', []):
            direct.setdefault(h, set()).add(name)
        for c in group.get('children', []):
            parents.setdefault(c, set()).add(name)
    out = {}
    for host, groups in direct.items():
        seen = set()
        stack = list(groups)
        while stack:
            g = stack.pop()
            if g in seen:
                continue
            seen.add(g)
            stack.extend(parents.get(g, ()))
        seen.add('all')
        out[host] = sorted(seen)
    return out


def jump_of(config):
    if 'proxyjump' in config:
        return config['proxyjump']
    command = config.get('proxycommand')
    if not command or command == 'none':
        return None
    words = shlex.split(command)
    if os.path.basename(words[0]) != 'ssh' or '-W' not in words:
        return 'unsupported:' + command
    port = user = None
    dest = []
    i = 1
    while i < len(words):
        w = words[i]
        if w in ('-p', '-l', '-W', '-o', '-i', '-F', '-J'):
            if w == '-p':
                port = words[i + 1]
            if w == '-l':
                user = words[i + 1]
            i += 2
            continue
        if not w.startswith('-'):
            dest.append(w)
        i += 1
    host = dest[0]
    if '@' in host:
        user, host = host.rsplit('@', 1)
    host = host[1:-1] if host.startswith('[') and host.endswith(']') else host
    if ':' in host:
        host = '[%s]' % host
    return (user + '@' if user else '') + host + (':' + port if port else '')


def connection(name, hostvars, ssh_config):
    variables = dict(hostvars)
    variables['inventory_hostname'] = name
    variables['inventory_hostname_short'] = name.split('.')[0]
    templar = Templar(loader=DataLoader(), variables=variables)
    # Loading the plugin first registers its options, which get_plugin_vars reads.
    conn = connection_loader.get('ssh', PlayContext(), None)
    options = {}
    for key in C.config.get_plugin_vars('connection', 'ssh'):
        if key in variables:
            try:
                options[key] = templar.template(variables[key])
            except Exception as error:  # an undefined variable: Ansible would fail the task
                return {'error': '%s: %s' % (key, error)}
    conn.set_options(var_options=options)
    conn.host = conn.get_option('host')
    argv = [a.decode() for a in conn._build_command('ssh', 'ssh')]
    run = subprocess.run(['ssh', '-G', '-F', ssh_config] + argv[1:] + [str(conn.host)], capture_output=True, text=True, check=False)
    if run.returncode != 0:
        return {'error': 'ssh -G: ' + run.stderr.strip(), 'argv': argv}
    config = {}
    for line in run.stdout.splitlines():
        key, _, value = line.partition(' ')
        config.setdefault(key, value)
    return {
        'address': config['hostname'],
        'port': int(config['port']),
        'user': config['user'],
        'jump': jump_of(config),
        'hostKeyChecking': config.get('stricthostkeychecking'),
        'argv': argv,
    }


def main():
    path, playbook_dir, ssh_config = sys.argv[1:4]
    data, warnings = inventory(path, playbook_dir)
    hostvars = data.get('_meta', {}).get('hostvars', {})
    groups = memberships(data)
    hosts = {}
    for name in groups:
        vars_ = hostvars.get(name, {})
        hosts[name] = {
            'groups': groups[name],
            'vars': vars_,
            'connection': connection(name, vars_, ssh_config),
        }
    json.dump({'hosts': hosts, 'warnings': warnings}, sys.stdout, default=str)


main()
