"""Content API templates: one per configured template and language, submitted for WhatsApp approval."""

from __future__ import annotations

from deh_deploy.config.model import HubConfig
from deh_deploy.names import template_name
from deh_deploy.render.desired import Desired, resource


def render_content(hub: HubConfig, env: str, desired: Desired) -> None:
    for template in hub.templates:
        for lang in hub.languages:
            name = template_name(hub.slug, env, template.id, lang)
            body = hub.texts[lang].templates[template.id]
            content = {
                "friendly_name": name,
                "language": lang,
                "variables": dict(sorted(template.samples.items())),
                "types": {"twilio/text": {"body": body}},
            }
            desired.add_document(f"content/{template.id}.{lang}.json", content)
            attrs = {**content}
            if "whatsapp" in hub.channels.enabled:
                attrs["whatsapp_approval"] = {"name": name, "category": template.category}
            desired.add(resource("content.template", f"{template.id}.{lang}", attrs))
