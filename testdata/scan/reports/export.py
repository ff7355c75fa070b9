"""Exports company documents and equipment for the weekly report."""
import logging
import requests

log = logging.getLogger(__name__)


def folders(base, company_id, token):
    url = f"{base}/rest/v1.0/companies/{company_id}/folders"
    log.info("fetching %s/rest/v1.0/companies/%s/folders", base, company_id)
    return requests.get(url, headers={"Authorization": f"Bearer {token}"}).json()


def equipment(api, company_id, project_id):
    # The generated SDK names the call after its path.
    return api.rest_v10_projects_project_id_managed_equipment_get(company_id, project_id)


def legacy(base, project_id):
    return requests.get(f"{base}/rest/v1.0/projects/{project_id}/site_sync_status").json()
