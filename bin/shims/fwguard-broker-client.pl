# fwguard's fast decision client for the shell shims (run as `perl fwguard-broker-client.pl FRONT CMD`).
# Perl with the core Socket module starts in a few milliseconds where node needs tens, so under
# `fwguard run` a shimmed `bash -c CMD` costs little more than the shell itself. It asks the run's
# broker ($FWGUARD_BROKER, token $FWGUARD_BROKER_TOKEN) and exits:
#   0    run it            126  refused (the reason was printed on stderr)
#   3    no usable broker answer (not private, unreachable, too slow, error): the shim then asks
#        fwguard's node decision step, which tries again and decides alone (fail closed)
#   4    the broker held the ask for a person and then went silent: refuse (fail closed)
# Lean on purpose (no warnings.pm, Cwd only off Linux): start-up time is the cost of every command.
use strict;
use Socket;
# Sub-second deadlines when Time::HiRes is there (not in Debian's perl-base: then whole seconds).
my $now = eval { require Time::HiRes; \&Time::HiRes::time } || sub { time() };

my ($front, $cmd) = @ARGV;
exit 3 unless defined $cmd && defined $ENV{FWGUARD_BROKER};
my $path = $ENV{FWGUARD_BROKER};
my $dir = $path;
$dir =~ s{/[^/]*$}{};
# The socket's directory must be a real directory of ours that nobody else can enter.
my @st = lstat($dir);
exit 3 unless @st && -d _ && $st[4] == $< && ($st[2] & 077) == 0;

sub j {
  my $s = shift;
  $s =~ s/(["\\])/\\$1/g;
  $s =~ s/([\x00-\x1f\x7f])/sprintf("\\u%04x", ord $1)/ge;
  return "\"$s\"";
}
my $cwd = readlink('/proc/self/cwd');
$cwd = eval { require Cwd; Cwd::getcwd() } unless defined $cwd && $cwd =~ m{^/};
exit 3 unless defined $cwd;
my $session = $ENV{FWGUARD_SESSION} // '';
my $agent = ($ENV{FWGUARD_AGENT} // '') ne '' ? $ENV{FWGUARD_AGENT} : 'shell';
my $req = '{"type":"decide","id":1,"token":' . j($ENV{FWGUARD_BROKER_TOKEN} // '') . ',"front":' . j($front eq 'prefix' ? 'prefix' : 'shim')
  . ',"reply":"text","proposal":{"kind":"shell","command":' . j($cmd) . ',"cwd":' . j($cwd) . ',"agent":' . j($agent)
  . ($session ne '' ? ',"session":' . j($session) : '') . '}}' . "\n";

socket(my $s, PF_UNIX, SOCK_STREAM, 0) or exit 3;
connect($s, pack_sockaddr_un($path)) or exit 3;
my $off = 0;
while ($off < length $req) {
  my $n = syswrite($s, $req, length($req) - $off, $off);
  exit 3 unless defined $n;
  $off += $n;
}
my $deadline_ms = ($ENV{FWGUARD_BROKER_DEADLINE_MS} // '') =~ /^\d+$/ ? $ENV{FWGUARD_BROKER_DEADLINE_MS} : 2000;
my $held = 0;
my $buf = '';
my $end = $now->() + $deadline_ms / 1000;
while (1) {
  while ($buf =~ s/^([^\n]*)\n//) {
    my $line = $1;
    if ($line =~ /^held (\d+)/) {
      $held = 1;
      $end = $now->() + $1 / 1000 + 5;
      next;
    }
    if ($line =~ /^(0|126) ?(.*)$/) {
      print STDERR "$2\n" if $2 ne '';
      exit($1 + 0);
    }
    exit($held ? 4 : 3);
  }
  my $left = $end - $now->();
  $left = 0.05 if $left < 0.05 && $held;
  exit($held ? 4 : 3) if $left <= 0;
  my $rin = '';
  vec($rin, fileno($s), 1) = 1;
  my $ready = select(my $rout = $rin, undef, undef, $left);
  exit($held ? 4 : 3) if $ready <= 0 && $now->() >= $end;
  next if $ready <= 0;
  my $n = sysread($s, $buf, 65536, length $buf);
  exit($held ? 4 : 3) unless $n;
}
