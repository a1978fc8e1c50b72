"""Lists come in pages of 100 (`?page=`, `?page_size=` up to 1000), with the total count and the neighbours; a page
size that is not a whole number from 1 to 1000 is refused, not silently replaced."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request):
        asked = request.query_params.getlist(self.page_size_query_param)
        if not asked:
            return self.page_size
        if len(asked) > 1 or not asked[0].isdigit() or not 1 <= int(asked[0]) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Angiv et helt tal fra 1 til %(most)d.") % {"most": self.max_page_size}
                    ]
                }
            )
        return int(asked[0])

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters
