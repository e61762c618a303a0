#!/bin/sh
# Rebuilds the committed font subsets from Debian's fonts (OFL-1.1, the Bitstream Vera licence and
# Apache-2.0, see LICENSE-*.txt). Only this script needs the packages: python3-fonttools,
# fonts-noto-cjk, fonts-opendin, fonts-dejavu-core, fonts-dejavu-extra, fonts-droid-fallback.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cjk_chars='京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼警学挂港澳'
/usr/bin/python3 -m fontTools.subset /usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc \
  --font-number=2 --text="$cjk_chars" --layout-features='' --no-hinting \
  --output-file="$here/plate-cjk-bold.otf"
/usr/bin/python3 -m fontTools.subset /usr/share/fonts/truetype/opendin/OSP-DIN.ttf \
  --text='ABCDEFGHJKLMNPQRSTUVWXYZ0123456789·' --layout-features='' --no-hinting \
  --output-file="$here/plate-din.ttf"
/usr/bin/python3 -m fontTools.subset /usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf \
  --text='ABCDEFGHJKLMNPQRSTUVWXYZ0123456789·' --layout-features='' --no-hinting \
  --output-file="$here/plate-dejavu-condensed-bold.ttf"
# Lighter faces: real plates have thinner strokes than the bold faces above.
/usr/bin/python3 -m fontTools.subset /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \
  --font-number=2 --text="$cjk_chars" --layout-features='' --no-hinting \
  --output-file="$here/plate-cjk-regular.otf"
/usr/bin/python3 -m fontTools.subset /usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf \
  --text='ABCDEFGHJKLMNPQRSTUVWXYZ0123456789·' --layout-features='' --no-hinting \
  --output-file="$here/plate-dejavu-condensed.ttf"
# A third design for the provinces (Apache-2.0, Debian fonts-droid-fallback): one face must not be learnt.
/usr/bin/python3 -m fontTools.subset /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf \
  --text="$cjk_chars" --layout-features='' --no-hinting \
  --output-file="$here/plate-cjk-droid.ttf"
