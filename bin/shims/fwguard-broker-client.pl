# fwguard's fast decision client for the shell shims (run as `perl fwguard-broker-client.pl FRONT CMD`).
# Perl starts in a few milliseconds where node needs tens, so under
# `fwguard run` a shimmed `bash -c CMD` costs little more than the shell itself. It asks the run's
# broker ($FWGUARD_BROKER, token $FWGUARD_BROKER_TOKEN) and exits:
#   0    run it            126  refused (the reason was printed on stderr)
#   3    no usable broker answer (not private, unreachable, too slow, error): the shim then asks
#        fwguard's node decision step, which tries again and decides alone (fail closed)
#   4    the broker held the ask for a person and then went silent: refuse (fail closed)
# Lean on purpose: start-up time is the cost of every command. No warnings.pm; on Linux not even
# Socket.pm (~6 ms): AF_UNIX and SOCK_STREAM are 1 and sockaddr_un is the family then the path
# (a wrong guess on an odd architecture only makes socket/connect fail: exit 3, the node step).
use strict;

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

my ($domain, $type, $addr);
if ($^O eq 'linux') {
  ($domain, $type, $addr) = (1, 1, pack('S', 1) . $path . "\0");
} else {
  eval { require Socket; 1 } or exit 3;
  ($domain, $type, $addr) = (Socket::PF_UNIX(), Socket::SOCK_STREAM(), Socket::pack_sockaddr_un($path));
}
socket(my $s, $domain, $type, 0) or exit 3;
connect($s, $addr) or exit 3;
my $off = 0;
while ($off < length $req) {
  my $n = syswrite($s, $req, length($req) - $off, $off);
  exit 3 unless defined $n;
  $off += $n;
}
my $deadline_ms = ($ENV{FWGUARD_BROKER_DEADLINE_MS} // '') =~ /^\d+$/ ? $ENV{FWGUARD_BROKER_DEADLINE_MS} : 2000;
# Time left, in seconds, kept by select itself (Linux returns what is left of the timeout; elsewhere
# a select that got data counts as instant). No Time::HiRes: it costs as much as perl's start.
my $left = $deadline_ms / 1000;
my $held = 0;
my $buf = '';
while (1) {
  while ($buf =~ s/^([^\n]*)\n//) {
    my $line = $1;
    if ($line =~ /^held (\d+)/) {
      $held = 1;
      $left = $1 / 1000 + 5;
      next;
    }
    if ($line =~ /^(0|126) ?(.*)$/) {
      print STDERR "$2\n" if $2 ne '';
      exit($1 + 0);
    }
    exit($held ? 4 : 3);
  }
  exit($held ? 4 : 3) if $left <= 0;
  my $rin = '';
  vec($rin, fileno($s), 1) = 1;
  my ($ready, $tl) = select(my $rout = $rin, undef, undef, $left);
  exit($held ? 4 : 3) if $ready <= 0;
  $left = $tl if defined $tl && $tl >= 0 && $tl < $left;
  my $n = sysread($s, $buf, 65536, length $buf);
  exit($held ? 4 : 3) unless $n;
}
