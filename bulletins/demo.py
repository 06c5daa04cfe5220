"""Demo bulletin: 运城's bulletin for October 2022, generated through the services and published.

Issued on 3 November 2022 (the story's "截至发稿日" is early November) as 运招促〔2022〕10号, from the records,
targets and rankings the other demos load. The demo is loaded inside one transaction, so the background job
(which runs after commit) would come too late for the publication: the generation is run here, in-process,
and the job, when it comes, finds the bulletin already done and leaves it.

Idempotent: once October's bulletin is published, a second run adds nothing.
"""

import datetime

from . import services
from .choices import Status
from .models import Bulletin

YEAR, MONTH = 2022, 10
ISSUED_ON = datetime.date(2022, 11, 3)
NUMBER = "运招促〔2022〕10号"


def load_bulletins_demo(*, city, actor):
    """Generate and publish 运城's October 2022 bulletin once; return what the city has."""
    published = Bulletin.objects.filter(owner=city, year=YEAR, month=MONTH, published_at__isnull=False).first()
    if published is None:
        bulletin = services.request_bulletin(
            actor=actor, owner=city, year=YEAR, month=MONTH, number=NUMBER, today=ISSUED_ON
        )
        services.generate_bulletin(bulletin_id=bulletin.pk)
        bulletin.refresh_from_db()
        if bulletin.status != Status.DONE:
            raise RuntimeError(f"演示通报生成失败：{bulletin.error}")
        published = services.publish_bulletin(actor=actor, bulletin=bulletin)
    return {"通报": Bulletin.objects.filter(owner=city).count(), "标题": published.title}
