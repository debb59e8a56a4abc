"""Small helpers the apps' views share."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render


def add_service_errors(form, error: ValidationError):
    """Show a service's ValidationError on the form: on its fields where the form has them."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            if field == NON_FIELD_ERRORS:
                target = None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def querystring_without_page(params) -> str:
    """The current filters, to carry over into pagination links."""
    query = params.copy()
    query.pop("page", None)
    return query.urlencode()


def record_about(request, *, parent, parent_name, form_class, service, template, success,
                 success_url):
    """A page that records something about a parent record (an evaluation of a product, a
    linkage of a producer): the caller has already checked the user may edit the parent."""
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = service(**{parent_name: parent}, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            for warning in getattr(outcome, "warnings", []):
                messages.warning(request, warning)
            return redirect(success_url)
    return render(request, template, {"form": form, parent_name: parent})


def file_download(field_file, *, filename: str, content_type: str, missing: str,
                  not_made: str) -> FileResponse:
    """A stored file as an attachment (never shown inline), or a 404 that says why: `not_made`
    when the record has no file, `missing` when its file is gone from the disk."""
    if not field_file:
        raise Http404(not_made)
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404(missing) from None
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
