"""API paging: numbered pages with a size the client may choose up to a cap."""

from rest_framework.pagination import PageNumberPagination

from core.paging import DeferredJoinPaginator


class StandardPagination(PageNumberPagination):
    django_paginator_class = DeferredJoinPaginator  # deep pages join only their own rows
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
