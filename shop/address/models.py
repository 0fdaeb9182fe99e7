from oscar.apps.address.models import *  # noqa: F403  the forked app keeps Oscar models
