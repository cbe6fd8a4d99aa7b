import re

from django.core.files.storage import default_storage
from django.db import migrations, models, transaction

import hearings.models
import hearings.validators

TOKEN_NAME = re.compile(r"^protocols/\d{4}/[A-Za-z0-9_-]{32}(\.[a-z]+)?$")


def rename_stored_protocols(apps, schema_editor):
    """Give protocols stored under their uploaded names a random one."""
    Hearing = apps.get_model("hearings", "Hearing")
    for hearing in Hearing.objects.exclude(protocol_file="").only("pk", "protocol_file"):
        old = hearing.protocol_file.name
        if TOKEN_NAME.match(old) or not default_storage.exists(old):
            continue
        with default_storage.open(old, "rb") as content:
            new = default_storage.save(hearings.models.protocol_file_name(hearing, old), content)
        Hearing.objects.filter(pk=hearing.pk).update(protocol_file=new)
        # The old name goes once the new one is recorded for good.
        transaction.on_commit(lambda old=old: default_storage.delete(old))


class Migration(migrations.Migration):
    dependencies = [
        ("hearings", "0004_hearing_entry"),
    ]

    operations = [
        migrations.AlterField(
            model_name="hearing",
            name="protocol_file",
            field=models.FileField(
                blank=True,
                help_text="The signed protocol: PDF, JPEG or PNG, up to 10 MB.",
                upload_to=hearings.models.protocol_file_name,
                validators=[hearings.validators.validate_protocol_file],
                verbose_name="protocol file",
            ),
        ),
        migrations.RunPython(rename_stored_protocols, migrations.RunPython.noop),
    ]
