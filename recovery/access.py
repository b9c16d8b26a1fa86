"""Access-control plumbing shared by every app's access module.

Rules every access module follows:
- Confidential rows are filtered **in the query**, never after it.
- "Absent" and "forbidden" raise the same `Http404`, so a record's existence
  is never revealed.
- django-guardian is used with `accept_global_perms=False` (a model-level
  permission never opens every row) and `with_superuser=False` (system
  administrators manage accounts; they do not read cases).
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

M = TypeVar("M", bound=models.Model)

GUARDIAN_OPTIONS = {"accept_global_perms": False, "with_superuser": False}


def get_visible_or_404(queryset: models.QuerySet[M], pk: object) -> M:
    """Fetch one row from an already access-filtered queryset, or raise 404.

    The queryset must come from an access module; this only adds the key.
    """
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404(_("No such record.")) from None
