"""The sign-in throttle as an authentication back end (django-axes)."""

from axes.backends import AxesStandaloneBackend

#: the back end that checks passwords (a person is signed in through it)
CREDENTIALS_BACKEND = "oscar.apps.customer.auth_backends.EmailBackend"


class SignInThrottle(AxesStandaloneBackend):
    """Refuses a sign-in while the account or the address is locked out. A call without a
    request is the platform itself confirming a password it was just given (Oscar's registration
    signs the new user in that way), not a client's attempt: nothing to throttle, so it passes on
    to the next back end instead of failing for want of a request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
