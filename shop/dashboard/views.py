"""The dashboard's sign-in page (Oscar's, forked): it sends each party where it works."""

from oscar.apps.dashboard import views as oscar_views

from core.urlaccess import landing_url


class LoginView(oscar_views.LoginView):
    """After signing in: the ``next=`` page when the user may open it, else their start page
    (core.urlaccess.landing_url: a distributor who signs in here goes to the storefront)."""

    def get_success_url(self):
        return landing_url(self.request, self.request.POST.get("next") or self.request.GET.get("next"))
