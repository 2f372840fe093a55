from oversight.core.setup_hooks import on_setup

from .initial import load_initial_units

on_setup("通知所列单位与单位组")(load_initial_units)
