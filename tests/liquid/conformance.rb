# Render every case of a conformance table with Ruby's liquid gem (as
# Jekyll 4.3 configures it: warn error mode, Jekyll's tags and filters,
# jekyll-avatar's tag, a site for the filters that need one) and with capsuled's interpreter
# (build/tools/liquid-render -c), and compare the outputs case by case.
#
#   ruby tests/liquid/conformance.rb VARS.yml RENDER_TOOL CASES...
#
# A case marked "!error" must make both report an error (Ruby's errors
# render as nothing here, so that the rest of the output is compared).
require "date"
require "fileutils"
require "open3"
require "tmpdir"
require "yaml"
require "jekyll"
# The plugins whose tags the interpreter writes as they do.
require "jekyll-avatar"

vars_file, tool, *case_files = ARGV
ENV["TZ"] = "UTC"

def load_yaml(text)
  YAML.safe_load(text, permitted_classes: [Date, Time], aliases: true) || {}
end

passed = failed = 0
case_files.each do |cases_file|
  files = {}
  cases = []
  lines = File.read(cases_file).split("\n", -1)
  i = 0
  cur = nil
  while i < lines.length
    line = lines[i]
    if line.start_with?("@@@ ")
      path = line[4..]
      body = []
      i += 1
      while i < lines.length && lines[i] != "@@@"
        body << lines[i]
        i += 1
      end
      files[path] = body.join("\n")
    elsif line.start_with?("### ")
      name = line[4..]
      error = name.end_with?(" !error")
      name = name.sub(/ !error\z/, "")
      cur = { name: name, error: error, vars: nil }
    elsif line.start_with?("vars: ")
      cur[:vars] = line[6..]
    elsif line == "<<<"
      body = []
      i += 1
      while i < lines.length && lines[i] != ">>>"
        body << lines[i]
        i += 1
      end
      cur[:template] = body.join("\n")
      cases << cur
    end
    i += 1
  end

  base = load_yaml(File.read(vars_file))

  Dir.mktmpdir do |root|
    files.each do |path, body|
      FileUtils.mkdir_p(File.join(root, File.dirname(path)))
      File.write(File.join(root, path), body)
    end
    site = Jekyll::Site.new(Jekyll.configuration(
      "source" => root, "destination" => File.join(root, "_site"),
      "quiet" => true, "url" => "https://example.com", "baseurl" => "/blog"
    ))
    Liquid::Template.error_mode = :warn
    errors = []
    Liquid::Template.default_exception_renderer = lambda { |e|
      errors << e
      ""
    }

    ruby = {}
    cases.each do |c|
      errors.clear
      vars = base.merge(c[:vars] ? load_yaml(c[:vars]) : {})
      out = begin
        t = Liquid::Template.parse(c[:template], line_numbers: true)
        t.render(vars, registers: { site: site, page: { "path" => "index.md" } })
      rescue StandardError, SyntaxError => e
        errors << e
        nil
      end
      ruby[c[:name]] = [out, errors.length]
    end

    got = {}
    stdout, stderr, status = Open3.capture3(tool, "-c", cases_file, "-r", root,
                                            "-v", vars_file)
    unless status.success?
      warn stderr
      puts "0 passed, 1 failed"
      exit 1
    end
    data = stdout.b
    pos = 0
    while pos < data.length
      nl = data.index("\n", pos)
      name = data[pos + 4...nl].force_encoding("UTF-8")
      pos = nl + 1
      nl = data.index("\n", pos)
      nerr = data[pos...nl].split(" ")[1].to_i
      pos = nl + 1
      nl = data.index("\n", pos)
      len = data[pos...nl].to_i
      pos = nl + 1
      got[name] = [data[pos, len].force_encoding("UTF-8"), nerr]
      pos += len + 1
    end

    cases.each do |c|
      want, rerr = ruby[c[:name]]
      have, cerr = got[c[:name]]
      problem =
        if have.nil?
          "not rendered by capsuled"
        elsif c[:error]
          if rerr.zero? then "Ruby reported no error: not an error case"
          elsif cerr.zero? then "capsuled reported no error"
          elsif !want.nil? && want != have then "outputs differ"
          end
        elsif rerr.positive? || want.nil?
          "Ruby reported an error: #{errors.first}"
        elsif cerr.positive?
          "capsuled reported an error"
        elsif want != have
          "outputs differ"
        end
      if problem
        failed += 1
        puts "FAIL #{c[:name]}: #{problem}"
        puts "  template: #{c[:template].inspect}"
        puts "  ruby:     #{want.inspect}"
        puts "  capsuled: #{have.inspect}"
      else
        passed += 1
        puts "ok   #{c[:name]}" if ENV["VERBOSE"]
      end
    end
  end
end

puts "#{passed} passed, #{failed} failed"
exit(failed.zero? ? 0 : 1)
