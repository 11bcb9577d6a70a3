#!/usr/bin/python3
# usage: notebooks/kernel/render-html.py EXECUTED.ipynb OUT_DIR   (e.g. after NB_OUT=/tmp/nb npm run test:notebooks)
# Renders an executed notebook to HTML with nbconvert, then puts back the SVG outputs that
# Debian's nbconvert 6.5.3 sanitises away (clean_html strips SVG elements).
import json, re, subprocess, sys, os
nb_path, out_dir = sys.argv[1], sys.argv[2]
subprocess.run(['jupyter', 'nbconvert', '--to', 'html', nb_path, '--output-dir', out_dir], check=True, capture_output=True)
name = os.path.splitext(os.path.basename(nb_path))[0]
html_path = os.path.join(out_dir, name + '.html')
html = open(html_path).read()
nb = json.load(open(nb_path))
svgs = [''.join(o['data']['image/svg+xml']) if isinstance(o['data']['image/svg+xml'], list) else o['data']['image/svg+xml']
        for c in nb['cells'] for o in c.get('outputs', []) if 'image/svg+xml' in o.get('data', {})]
parts = re.split(r'(<div class="jp-RenderedSVG jp-OutputArea-output[^"]*" data-mime-type="image/svg\+xml">\n)<svg.*?</svg>', html, flags=re.S)
out = parts[0]
for i in range(1, len(parts), 2):
    out += parts[i] + (svgs[(i - 1) // 2] if (i - 1) // 2 < len(svgs) else '') + parts[i + 1]
open(html_path, 'w').write(out)
print(html_path, len(svgs), 'svg restored')
