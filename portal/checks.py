from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def client_ip_header(app_configs, **kwargs):
    """Behind a proxy every request comes from the proxy's address, so the
    rate limit on online proposals would put all residents in one bucket."""
    if settings.DEBUG or settings.CLIENT_IP_HEADER:
        return []
    return [
        Warning(
            "CLIENT_IP_HEADER is not set: behind a proxy, all residents share one address "
            "in the rate limit on online proposals.",
            hint="Set CLIENT_IP_HEADER=HTTP_X_REAL_IP (or the header your proxy sets), "
            "or silence portal.W001 if the portal faces the internet directly.",
            id="portal.W001",
        )
    ]
