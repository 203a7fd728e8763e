"""The DCAT-style catalogue (JSON-LD) that lists the open datasets, their formats, licence and paging."""

from typing import Any

from gateway.settings import GatewaySettings

MAX_PAGE = 500  # the services' max_page_size: one upstream call per page

DATASETS = [
    (
        "rankings",
        "Xếp hạng chuyển đổi số đã công bố",
        "Published digital-transformation rankings: per period, each unit's score, class and peer rank",
        "/open-data/rankings",
    ),
    (
        "decisions",
        "Quyết định khen thưởng đã công bố",
        "Published commendation decisions, one row per awardee (no personal identifiers)",
        "/open-data/decisions",
    ),
    (
        "units",
        "Danh mục đơn vị",
        "The directory of participating units (agencies, UBND, communes, enterprises …) with their dated codes",
        "/open-data/units",
    ),
]


def catalogue(settings: GatewaySettings) -> dict[str, Any]:
    base = settings.public_url.rstrip("/")
    licence = {"@id": settings.licence_url, "dct:title": settings.licence_name}
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
        },
        "@type": "dcat:Catalog",
        "@id": f"{base}/open-data",
        "dct:title": "Dữ liệu mở thi đua – khen thưởng / Emulation and commendation open data",
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": settings.publisher},
        "dct:license": licence,
        "dcat:dataset": [
            {
                "@type": "dcat:Dataset",
                "@id": f"{base}{path}",
                "dct:identifier": key,
                "dct:title": [{"@language": "vi", "@value": title_vi}, {"@language": "en", "@value": title_en}],
                "dct:license": licence,
                "dct:accrualPeriodicity": "continuous (filter with modified_since for incremental sync)",
                "dcat:distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "dcat:accessURL": f"{base}{path}?format={fmt}",
                        "dcat:mediaType": media,
                        "dct:description": f"cursor paging (`cursor`, Link rel=next), at most {MAX_PAGE} rows a page",
                    }
                    for fmt, media in (("json", "application/json"), ("csv", "text/csv"), ("csv&labels=vi", "text/csv"))
                ],
            }
            for key, title_vi, title_en, path in DATASETS
        ],
    }
