"""Certificate.verify_token: the key of the public check page (issue 15). Existing certificates
(and their history rows, which carry the same key) get one each before the column turns unique."""

import secrets

from django.db import migrations, models

import products.models


def fill_tokens(apps, schema_editor):
    Certificate = apps.get_model("products", "Certificate")
    HistoricalCertificate = apps.get_model("products", "HistoricalCertificate")
    tokens = {}
    for certificate in Certificate.objects.only("pk").iterator():
        certificate.verify_token = tokens[certificate.pk] = secrets.token_urlsafe(16)
        certificate.save(update_fields=["verify_token"])
    for record in HistoricalCertificate.objects.only("history_id", "id").iterator():
        record.verify_token = tokens.get(record.id) or secrets.token_urlsafe(16)
        record.save(update_fields=["verify_token"])


class Migration(migrations.Migration):

    dependencies = [
        ("products", "0008_list_order_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="verify_token",
            field=models.CharField(editable=False, max_length=43, null=True,
                                   verbose_name="Mã tra cứu"),
        ),
        migrations.AddField(
            model_name="historicalcertificate",
            name="verify_token",
            field=models.CharField(editable=False, max_length=43, null=True,
                                   verbose_name="Mã tra cứu"),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="certificate",
            name="verify_token",
            field=models.CharField(default=products.models.new_verify_token, editable=False,
                                   max_length=43, unique=True, verbose_name="Mã tra cứu"),
        ),
        migrations.AlterField(
            model_name="historicalcertificate",
            name="verify_token",
            field=models.CharField(db_index=True, default=products.models.new_verify_token,
                                   editable=False, max_length=43, verbose_name="Mã tra cứu"),
        ),
    ]
