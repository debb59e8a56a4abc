"""The upload form of the Excel import."""

from django import forms

from products.imports import FileRefused, check_content, check_name_and_size


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp Excel (.xlsx)",
        help_text="Theo mẫu v1; tối đa 5 MB và 5.000 dòng dữ liệu.",
        widget=forms.ClearableFileInput(attrs={
            "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
        error_messages={"required": "Hãy chọn tệp Excel (.xlsx) cần nhập.",
                        "empty": "Tệp đã chọn trống (0 byte)."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            # The same checks as the command's, before the content is read into memory.
            check_name_and_size(upload.name, upload.size)
            content = b"".join(upload.chunks())
            check_content(upload.name, content)
        except FileRefused as refused:
            raise forms.ValidationError(str(refused), code="file_refused") from refused
        self.content = content
        return upload
