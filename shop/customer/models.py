from oscar.apps.customer.models import *  # noqa: F403  the forked app keeps Oscar's models
