"""Lists come in pages of 100 (`?page=`, `?page_size=` up to 1000), with the total count and the neighbours."""

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
