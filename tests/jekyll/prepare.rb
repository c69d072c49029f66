# Make REF, a copy of a Jekyll site, ready for the reference build:
# the site's own _config.yml, content, _includes, _data and _plugins,
# with
#   - an extra configuration file, _jdiff.yml, read after the site's:
#     no theme, only the plugins that are installed, kramdown and rouge;
#   - layouts that print only {{ content }};
#   - no Sass (its imports name theme files that are not here);
#   - a Liquid page, jdiff-documents.txt, through which Jekyll lists
#     every document, page and static file with its URL;
#   - site.time pinned to SITE_TIME where the site gives no time:.
# Every change is written to OVERLAY_LOG, a line each.
#
#   ruby prepare.rb REF OVERLAY_LOG SITE_TIME
require "fileutils"
require "yaml"
require "date"

ref, log_path, site_time = ARGV
log = File.open(log_path, "w")
note = ->(s) { log.puts(s) }

def load_yaml(text)
  YAML.safe_load(text, permitted_classes: [Date, Time, Symbol],
                 aliases: true) || {}
rescue Psych::Exception
  {}
end

config_files = %w[_config.yml _config.yaml].map { |f| File.join(ref, f) }
                                           .select { |f| File.file?(f) }
config = {}
config_files.each { |f| c = load_yaml(File.read(f)); config.merge!(c) if c.is_a?(Hash) }

# Plugins: those the site lists, in _config.yml or in the Gemfile's
# jekyll_plugins group (which Jekyll loads through Bundler), kept when
# Ruby can load them.
wanted = []
%w[plugins gems].each { |k| wanted.concat(Array(config[k])) if config[k] }
gemfile = File.join(ref, "Gemfile")
if File.file?(gemfile)
  in_group = false
  File.foreach(gemfile) do |line|
    in_group = true if line =~ /^\s*group\s+:jekyll_plugins\b/
    in_group = false if in_group && line =~ /^\s*end\b/
    wanted << $1 if in_group && line =~ /^\s*gem\s+["']([^"']+)["']/
  end
end
# {% gist %} needs jekyll-gist, which GitHub Pages always loads: added
# when a file uses the tag (without the network: no <noscript> copy).
uses_gist = Dir.glob(File.join(ref, "**", "*.{md,markdown,html}")).any? do |f|
  File.read(f, mode: "rb").match?(/\{%-?\s*gist\s/)
end
extra = {}
if uses_gist && !wanted.include?("jekyll-gist")
  wanted << "jekyll-gist"
  extra["gist"] = { "noscript" => false }
  note.("jekyll-gist added: a file uses {% gist %}")
end
kept = wanted.map(&:to_s).uniq.select do |name|
  ok = system("ruby", "-e", "require 'jekyll'; require ARGV[0]", name,
              out: File::NULL, err: File::NULL)
  note.("plugin not installed, dropped: #{name}") unless ok
  ok
end

overlay = { "plugins" => kept, "gems" => [], "safe" => false,
            "disable_disk_cache" => true }.merge(extra)
%w[theme remote_theme].each do |k|
  next unless config[k]
  overlay[k] = nil
  note.("#{k} dropped: #{config[k]}")
end
if config.key?("markdown") && config["markdown"].to_s.downcase != "kramdown"
  note.("markdown: #{config["markdown"]} replaced by kramdown")
end
overlay["markdown"] = "kramdown"
if config.key?("highlighter") && config["highlighter"].to_s.downcase != "rouge"
  note.("highlighter: #{config["highlighter"]} replaced by rouge")
end
overlay["highlighter"] = "rouge"
# A Jekyll 2 setting that Jekyll 3 and later refuse to build with.
if config["relative_permalinks"]
  overlay["relative_permalinks"] = false
  note.("relative_permalinks: true replaced by false (Jekyll 3+ stops on it)")
end
# site.time, which a page may pick its words by (and which says what
# is in the future): the same for capsuled (jdiff.py), whatever the day.
unless config.key?("time")
  overlay["time"] = site_time
  note.("time: #{site_time} (site.time pinned)")
end
File.write(File.join(ref, "_jdiff.yml"), YAML.dump(overlay))

# Layouts: one for every name a document, a layout or a default asks
# for, each printing only the content.
names = %w[default post page home]
(config["defaults"] || []).each do |d|
  l = d.is_a?(Hash) && d["values"].is_a?(Hash) && d["values"]["layout"]
  names << l.to_s if l
end
Dir.glob(File.join(ref, "**", "*"), File::FNM_DOTMATCH).each do |f|
  next unless File.file?(f) && File.size(f) < (8 << 20)
  head = File.read(f, 4096, mode: "rb")
  next unless head.start_with?("---")
  text = File.read(f, mode: "rb").force_encoding("UTF-8")
  next unless (m = text.scrub.match(/\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?$/m))
  fm = load_yaml(m[1])
  names << fm["layout"].to_s if fm.is_a?(Hash) && fm["layout"]
end
FileUtils.rm_rf(File.join(ref, "_layouts"))
FileUtils.mkdir_p(File.join(ref, "_layouts"))
names.uniq.each do |n|
  next if n.empty? || %w[null none false].include?(n) || n.include?("/")
  File.write(File.join(ref, "_layouts", "#{n}.html"),
             "---\n---\n<article data-jdiff=\"content\">{{ content }}</article>\n")
end
note.("layouts replaced: #{names.uniq.sort.join(" ")}")

FileUtils.rm_rf(File.join(ref, "_sass"))
Dir.glob(File.join(ref, "**", "*.{scss,sass}")).each { |f| File.delete(f) }

# The list: KIND, source path, URL, title, then per kind: a collection
# document's label and output flag; a page's redirect target (a
# jekyll-redirect-from stub); a static file's collection.  First the
# site's url and baseurl as Jekyll has them.
list = File.join(ref, "jdiff-documents.txt")
abort("#{list}: the site has a file of that name") if File.exist?(list)
File.write(list, <<~'LIQUID')
  ---
  layout: null
  permalink: /jdiff-documents.txt
  ---
  {%- capture tab %}	{% endcapture -%}
  site	{{ site.url }}	{{ site.baseurl }}
  {% for c in site.collections %}{% for d in c.docs %}document	{{ d.path }}	{{ d.url }}	{{ d.title | strip_newlines | replace: tab, " " }}	{{ c.label }}	{{ c.output }}
  {% endfor %}{% endfor %}{% for p in site.pages %}page	{{ p.path }}	{{ p.url }}	{{ p.title | strip_newlines | replace: tab, " " }}	{{ p.redirect.to }}
  {% endfor %}{% for p in site.html_pages %}html	{{ p.path }}	{{ p.url }}
  {% endfor %}{% for f in site.static_files %}static	{{ f.path }}			{{ f.collection }}
  {% endfor %}
LIQUID
