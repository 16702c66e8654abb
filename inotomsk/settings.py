"""Settings for the INO Tomsk portal, read from the environment.

See README.md ("Settings") for every variable. Debug is off unless DJANGO_DEBUG is set,
and then DJANGO_SECRET_KEY is required.

The settings are read in sections from inotomsk/conf/ (see its __init__.py); each
setting is explained where it is set. inotomsk/settings_test.py and bench/settings.py build on
this module.
"""

from .conf.base import *  # noqa: F403
from .conf.content import *  # noqa: F403
from .conf.files import *  # noqa: F403
from .conf.security import *  # noqa: F403
from .conf.services import *  # noqa: F403
