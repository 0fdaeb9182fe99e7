from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('bigdata', '0003_fact_queue'),
    ]

    operations = [
        migrations.CreateModel(
            name='PendingFactIndex',
            fields=[
                ('source_id', models.CharField(max_length=64, primary_key=True, serialize=False, verbose_name='source')),
                ('queued_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'verbose_name': 'fact awaiting the search index',
                'verbose_name_plural': 'facts awaiting the search index',
            },
        ),
    ]
