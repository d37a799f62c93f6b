// Where the trust map puts its nodes: on a circle for up to 12 meshes (every edge stays visible between nodes), on
// a grid beyond that (up to ~50 meshes stay readable at the page's width). Pure functions of the count.

export const NODE_W = 170;
export const NODE_H = 56;

/** Centres [{x, y}] for n nodes and the size {width, height} of the picture. */
export function layout(n) {
  if (n <= 0) return {points: [], width: NODE_W * 2, height: NODE_H * 2};
  if (n === 1) return {points: [{x: NODE_W, y: NODE_H * 1.5}], width: NODE_W * 2, height: NODE_H * 3};
  if (n <= 12) {
    const radius = Math.max(NODE_W * 0.9, (n * (NODE_W + 30)) / (2 * Math.PI));
    const cx = radius + NODE_W / 2 + 20;
    const cy = radius * 0.75 + NODE_H / 2 + 20;
    const points = Array.from({length: n}, (_, i) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
      return {x: cx + radius * Math.cos(angle), y: cy + radius * 0.75 * Math.sin(angle)};
    });
    return {points, width: 2 * cx, height: 2 * (radius * 0.75 + NODE_H / 2 + 20)};
  }
  const columns = Math.ceil(Math.sqrt(n * 1.5));
  const gapX = NODE_W + 50;
  const gapY = NODE_H + 60;
  const points = Array.from({length: n}, (_, i) => ({
    x: 20 + NODE_W / 2 + (i % columns) * gapX + (Math.floor(i / columns) % 2) * (gapX / 4),
    y: 20 + NODE_H / 2 + Math.floor(i / columns) * gapY,
  }));
  return {points, width: 40 + NODE_W + (columns - 0.75) * gapX, height: 40 + NODE_H + Math.floor((n - 1) / columns) * gapY};
}

/** The point where the segment from a's centre to b's centre leaves a's box (so arrows end at the box edge). */
export function boxEdge(a, b) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  if (dx === 0 && dy === 0) return {x: a.x, y: a.y};
  const scale = Math.min(dx === 0 ? Infinity : (NODE_W / 2) / Math.abs(dx), dy === 0 ? Infinity : (NODE_H / 2) / Math.abs(dy));
  return {x: a.x + dx * scale, y: a.y + dy * scale};
}
