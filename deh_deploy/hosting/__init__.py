"""``deh host``: install the hub service on the hosts of the config's ``hosting`` section with the Ansible playbook
and role in ``templates/hosting/``, run through ansible-runner. ``inventory`` turns the config into Ansible's
inventory, ``release`` builds what is installed (the wheel of this checkout and the config), ``run`` runs the
playbook and tells its events as progress and a summary per host."""
