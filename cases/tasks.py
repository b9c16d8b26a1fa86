from celery import shared_task

from cases import services


@shared_task
def purge_expired_shares() -> int:
    """Housekeeping only: expired grants are already ignored by every access query."""
    return services.shares_purge_expired()
