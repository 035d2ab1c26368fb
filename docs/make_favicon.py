# Rasterises the default theme's favicon.svg geometry into the 32x32 PNG inside
# themes/default/static/favicon.ico (run from that folder: python3 make_favicon.py).
# No image library needed; keep SHAPES in step with favicon.svg.
import struct, zlib
SHAPES = [  # x, y, w, h, rx, rgb  (the same as favicon.svg, painted in order)
    (0, 0, 32, 32, 6, (0x0b, 0x57, 0xa4)),
    (7, 7, 18, 3, 1.5, (0xff, 0xff, 0xff)),
    (5, 13, 22, 6, 1.5, (0xf2, 0xb1, 0x34)),
    (7, 14.5, 15, 3, 1.5, (0x1d, 0x1d, 0x1f)),
    (7, 22, 12, 3, 1.5, (0xff, 0xff, 0xff)),
]
def inside(px, py, x, y, w, h, r):
    if not (x <= px <= x + w and y <= py <= y + h):
        return False
    cx = min(max(px, x + r), x + w - r)
    cy = min(max(py, y + r), y + h - r)
    return (px - cx) ** 2 + (py - cy) ** 2 <= r * r
N, S = 32, 8
rows = []
for j in range(N):
    row = bytearray([0])
    for i in range(N):
        acc = [0.0, 0.0, 0.0, 0.0]
        for sj in range(S):
            for si in range(S):
                px, py = i + (si + 0.5) / S, j + (sj + 0.5) / S
                color = None
                for (x, y, w, h, r, rgb) in SHAPES:
                    if inside(px, py, x, y, w, h, r):
                        color = rgb
                if color:
                    acc[0] += color[0]; acc[1] += color[1]; acc[2] += color[2]; acc[3] += 1
        n = acc[3]
        if n:
            row += bytes([round(acc[0] / n), round(acc[1] / n), round(acc[2] / n), round(255 * n / (S * S))])
        else:
            row += bytes(4)
    rows.append(bytes(row))
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", N, N, 8, 6, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")
ico = struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", N, N, 0, 0, 1, 32, len(png), 22) + png
open("favicon.ico", "wb").write(ico)
