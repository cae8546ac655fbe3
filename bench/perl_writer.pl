#!/usr/bin/perl
# The peer for `geoattr compile`: MaxMind's own Perl writer building the same
# ASN database from the same range CSV (start,end,asn,org).
#
# usage: perl_writer.pl -o OUT.mmdb FILE.csv...
#
# Rows are treated as geoattr treats them, so both tools do the same work:
# AS0 rows mean "unknown" and are left out, and a later row wins over the
# addresses it overlaps (merge_strategy none).
use strict;
use warnings;

use MaxMind::DB::Writer::Tree;

my $out;
my @files;
while (@ARGV) {
    my $arg = shift @ARGV;
    if ($arg eq '-o') {
        $out = shift @ARGV;
    } else {
        push @files, $arg;
    }
}
die "usage: perl_writer.pl -o OUT.mmdb FILE.csv...\n" unless defined $out && @files;

my %types = (
    autonomous_system_number       => 'uint32',
    autonomous_system_organization => 'utf8_string',
);

my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version            => 6,
    record_size           => 28,
    database_type         => 'perl-ASN',
    languages             => ['en'],
    description           => { en => 'geoattr benchmark peer' },
    map_key_type_callback => sub { $types{ $_[0] } },
    merge_strategy        => 'none',
    alias_ipv6_to_ipv4    => 1,
);

# Split one RFC 4180 record into fields.  Quoted fields may hold commas and
# doubled quotes; the caller has already joined lines so quotes balance.
sub split_record {
    my ($rec) = @_;
    my @f;
    pos($rec) = 0;
    while (1) {
        if ($rec =~ /\G"((?:[^"]|"")*)"/gc) {
            (my $v = $1) =~ s/""/"/g;
            push @f, $v;
        } elsif ($rec =~ /\G([^,]*)/gc) {
            push @f, $1;
        }
        last unless $rec =~ /\G,/gc;
    }
    die "stray text after field: $rec\n" if pos($rec) != length $rec;
    return @f;
}

my ($rows, $skipped_unknown, $rejected) = (0, 0, 0);
for my $file (@files) {
    open my $fh, '<:encoding(UTF-8)', $file or die "$file: $!\n";
    while (defined(my $rec = <$fh>)) {
        # An odd number of quotes means a quoted newline: keep reading.
        while (($rec =~ tr/"//) % 2 && !eof $fh) {
            $rec .= <$fh>;
        }
        $rec =~ s/\r?\n\z//;
        next if $rec eq '';
        my ($start, $end, $asn, $org) = split_record($rec);
        $rows++;
        if (!defined $asn || $asn eq '' || $asn eq '0') {
            $skipped_unknown++;
            next;
        }
        my %data = (autonomous_system_number => $asn + 0);
        $data{autonomous_system_organization} = $org
            if defined $org && $org ne '';
        # With aliasing on, the writer refuses inserts inside the aliased
        # 6to4 and Teredo blocks; count those rather than stop.
        if (!eval { $tree->insert_range($start, $end, \%data); 1 }) {
            $rejected++;
        }
    }
    close $fh;
}

open my $ofh, '>:raw', $out or die "$out: $!\n";
$tree->write_tree($ofh);
close $ofh or die "$out: $!\n";
printf STDERR "perl_writer: %d rows, %d unknown, %d rejected\n",
    $rows, $skipped_unknown, $rejected;
