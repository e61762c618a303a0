// The camera tree of the wall: site → area → camera, filtered by what the operator types.
import type { Camera, Site } from '../../api/types';

export interface TreeNode {
  id: string;
  label: string;
  camera?: Camera;
  children?: TreeNode[];
}

export function buildCameraTree(cameras: Camera[], sites: Site[], noSite: string, noArea: string): TreeNode[] {
  const siteName = new Map(sites.map((s) => [s.id, s.name]));
  const bySite = new Map<string, Map<string, Camera[]>>();
  for (const c of cameras) {
    const site = c.siteId ?? '';
    const areas = bySite.get(site) ?? new Map<string, Camera[]>();
    bySite.set(site, areas);
    const list = areas.get(c.area) ?? [];
    list.push(c);
    areas.set(c.area, list);
  }
  const byLabel = (a: TreeNode, b: TreeNode) => a.label.localeCompare(b.label, 'zh-CN');
  return [...bySite]
    .map(([site, areas]) => ({
      id: `site:${site}`,
      label: site ? (siteName.get(site) ?? site) : noSite,
      children: [...areas]
        .map(([area, list]) => ({
          id: `area:${site}:${area}`,
          label: area || noArea,
          children: list.map((camera) => ({ id: camera.id, label: camera.name, camera })).sort(byLabel),
        }))
        .sort(byLabel),
    }))
    .sort(byLabel);
}

/** A camera matches on its name, location or area; a site or area on its own label. */
export function matchesFilter(query: string, node: TreeNode): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const fields = node.camera ? [node.camera.name, node.camera.location, node.camera.area] : [node.label];
  return fields.some((f) => f.toLowerCase().includes(q));
}

/** Cameras in tree order (the order a new wall and a tour fill tiles in). */
export function camerasInOrder(tree: TreeNode[]): Camera[] {
  return tree.flatMap((n) => (n.camera ? [n.camera] : camerasInOrder(n.children ?? [])));
}
